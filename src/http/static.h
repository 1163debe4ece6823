/* The in-memory copy of the built web app; private to the http module. */
#ifndef YW_HTTP_STATIC_H
#define YW_HTTP_STATIC_H

#include "http.h"

typedef struct {
	char *path;                  /* URL path, "/assets/index-1a2b.js" */
	char *data;
	size_t len;
	char *gz;                    /* precompressed body, or NULL */
	size_t gz_len;
	char etag[48];
	const char *content_type;
	const char *cache_control;
} yw_static_file;

typedef struct yw_static yw_static;

/* Load every file under dir. A missing dir gives an empty set (the API still serves). */
yw_static *yw_static_load(const char *dir);
/* The file at path, or index.html when path is one of the app's pages, or NULL. */
const yw_static_file *yw_static_find(const yw_static *st, const char *path);
size_t yw_static_count(const yw_static *st);
void yw_static_free(yw_static *st);

#endif
