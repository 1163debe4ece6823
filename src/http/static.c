/*
 * Static files of the web app. The built app (web/dist) is small and changes only with a
 * deployment, so it is read into memory once at start: each request is then a lookup and a
 * pointer handed to libmicrohttpd, with no system call for the file. ETags are a hash of the
 * content; Vite names every asset after its content hash, so /assets/ files are cacheable for a
 * year and index.html must always be revalidated. A precompressed .gz sibling (written by the
 * build) is served to clients that accept gzip. The app's page addresses (pages.json, written by
 * the build from its router) are answered with index.html, so a reload or a shared link opens
 * the page; any other address is not a page and gets a 404.
 */
#include "static.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct yw_static {
	yw_static_file *files;
	size_t n, cap;
	char **pages;                /* the app's page addresses, from pages.json ("/cases/:id") */
	size_t npages;
	const yw_static_file *index; /* index.html, the answer at every page address */
};

static const struct {
	const char *ext, *type;
} mime[] = {
	{ ".html", "text/html; charset=utf-8" },   { ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" }, { ".css", "text/css; charset=utf-8" },
	{ ".json", "application/json" },            { ".svg", "image/svg+xml" },
	{ ".png", "image/png" },                    { ".jpg", "image/jpeg" },
	{ ".ico", "image/x-icon" },                 { ".woff2", "font/woff2" },
	{ ".woff", "font/woff" },                   { ".ttf", "font/ttf" },
	{ ".txt", "text/plain; charset=utf-8" },    { ".webmanifest", "application/manifest+json" },
};

static const char *mime_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof(mime) / sizeof(mime[0]); i++)
		if (!strcmp(dot, mime[i].ext))
			return mime[i].type;
	return "application/octet-stream";
}

static int read_file(const char *path, char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	struct stat st;
	int rc = -1;
	char *buf = NULL;
	if (fstat(fileno(f), &st) || st.st_size < 0)
		goto out;
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		goto out;
	if (fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
		goto out;
	*data = buf;
	*len = (size_t)st.st_size;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	fclose(f);
	return rc;
}

static uint64_t fnv1a(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ull;
	}
	return h;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

static int add_file(yw_static *st, const char *fs_path, const char *url_path)
{
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 64;
		yw_static_file *nf = realloc(st->files, cap * sizeof(*nf));
		if (!nf)
			return -1;
		st->files = nf;
		st->cap = cap;
	}
	yw_static_file *f = &st->files[st->n];
	memset(f, 0, sizeof(*f));
	if (read_file(fs_path, &f->data, &f->len))
		return -1;
	f->path = strdup(url_path);
	if (!f->path) {
		free(f->data);
		return -1;
	}
	snprintf(f->etag, sizeof(f->etag), "\"%016llx-%zx\"", (unsigned long long)fnv1a(f->data, f->len),
	         f->len);
	f->content_type = mime_of(url_path);
	f->cache_control = yw_str_has_prefix(url_path, "/assets/") ? "public, max-age=31536000, immutable"
	                                                          : "no-cache";
	char gz[4096];
	int n = snprintf(gz, sizeof(gz), "%s.gz", fs_path);
	if (n < 0 || (size_t)n >= sizeof(gz) || read_file(gz, &f->gz, &f->gz_len) != 0)
		f->gz = NULL;
	st->n++;
	return 0;
}

static int walk(yw_static *st, const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d))) {
		if (e->d_name[0] == '.' || ends_with(e->d_name, ".gz"))
			continue;
		char fs[4096], url[4096];
		int nf = snprintf(fs, sizeof(fs), "%s/%s", dir, e->d_name);
		int nu = snprintf(url, sizeof(url), "%s/%s", prefix, e->d_name);
		if (nf < 0 || nu < 0 || (size_t)nf >= sizeof(fs) || (size_t)nu >= sizeof(url))
			continue;   /* a path this long is not part of a web app */
		struct stat sb;
		if (stat(fs, &sb))
			continue;
		if (S_ISDIR(sb.st_mode))
			rc = walk(st, fs, url);
		else if (S_ISREG(sb.st_mode))
			rc = add_file(st, fs, url);
	}
	closedir(d);
	return rc;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const yw_static_file *)a)->path, ((const yw_static_file *)b)->path);
}

static const yw_static_file *find_file(const yw_static *st, const char *path)
{
	if (!st->n)
		return NULL;
	yw_static_file key = { .path = (char *)path };
	return bsearch(&key, st->files, st->n, sizeof(*st->files), by_path);
}

/* pages.json is written by the web build from the router's list; a missing or malformed one
 * leaves only "/" as a page, so the portal still opens. */
static int load_pages(yw_static *st, const char *dir)
{
	char path[4096];
	int n = snprintf(path, sizeof(path), "%s/pages.json", dir);
	json_t *list = n > 0 && (size_t)n < sizeof(path) ? json_load_file(path, 0, NULL) : NULL;
	size_t count = json_is_array(list) ? json_array_size(list) : 0;
	st->pages = calloc(count + 1, sizeof(char *));
	if (!st->pages) {
		json_decref(list);
		return -1;
	}
	for (size_t i = 0; i < count; i++) {
		const char *p = json_string_value(json_array_get(list, i));
		if (p && p[0] == '/' && (st->pages[st->npages] = strdup(p)))
			st->npages++;
	}
	if (st->npages == 0 && (st->pages[0] = strdup("/")))
		st->npages = 1;
	json_decref(list);
	return 0;
}

yw_static *yw_static_load(const char *dir)
{
	yw_static *st = calloc(1, sizeof(*st));
	if (!st)
		return NULL;
	if ((walk(st, dir, "") && errno != ENOENT) || load_pages(st, dir)) {
		yw_static_free(st);
		return NULL;
	}
	if (st->n)
		qsort(st->files, st->n, sizeof(*st->files), by_path);
	st->index = find_file(st, "/index.html");
	return st;
}

/* A page pattern matches segment by segment; a ":name" segment matches any one segment. */
static bool page_matches(const char *pattern, const char *path)
{
	while (*pattern && *path) {
		if (*pattern != '/' || *path != '/')
			return false;
		pattern++;
		path++;
		size_t pl = strcspn(pattern, "/"), sl = strcspn(path, "/");
		bool param = pattern[0] == ':';
		if (param ? sl == 0 : (pl != sl || strncmp(pattern, path, pl)))
			return false;
		pattern += pl;
		path += sl;
	}
	return !*pattern && !*path;
}

size_t yw_static_count(const yw_static *st) { return st ? st->n : 0; }

const yw_static_file *yw_static_find(const yw_static *st, const char *path)
{
	if (!st || !st->index)
		return NULL;
	const yw_static_file *f = find_file(st, path);
	if (f)
		return f;
	for (size_t i = 0; i < st->npages; i++)
		if (page_matches(st->pages[i], path))
			return st->index;
	return NULL;
}

void yw_static_free(yw_static *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->n; i++) {
		free(st->files[i].path);
		free(st->files[i].data);
		free(st->files[i].gz);
	}
	for (size_t i = 0; i < st->npages; i++)
		free(st->pages[i]);
	free(st->pages);
	free(st->files);
	free(st);
}
