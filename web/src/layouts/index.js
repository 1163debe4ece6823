// The page frames. Each *Layout.vue file in this folder is picked up by itself and named after
// its file: PortalLayout.vue → 'portal'. A route chooses one with meta.layout.
import { defineAsyncComponent } from 'vue';
import PortalLayout from './PortalLayout.vue';

export const DEFAULT_LAYOUT = 'portal';

const layoutName = (path) => path.replace(/^.*\/(\w+)Layout\.vue$/, '$1').toLowerCase();

// The portal frame is bundled with the entry (it is the first thing citizens see); the others
// load with the first page that uses them.
export const layouts = { [DEFAULT_LAYOUT]: PortalLayout };
for (const [path, load] of Object.entries(import.meta.glob(['./*Layout.vue', '!./PortalLayout.vue']))) {
  layouts[layoutName(path)] = defineAsyncComponent(load);
}

export function layoutFor(route) {
  return layouts[route.meta?.layout] || layouts[DEFAULT_LAYOUT];
}
