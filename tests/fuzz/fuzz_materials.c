/*
 * Fuzz the materials sniffer (R-MAT-002) and the download name (R-MAT-006) with arbitrary bytes.
 * Invariants beyond "no crash, no sanitizer report": a type found is one of the four and agrees
 * with the file's first bytes; a claim understood is one of the four or "*"; the
 * Content-Disposition is one header line of printable ASCII without a quote or a semicolon in
 * its encoded part.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "materials/materials.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	const char *t = yw_mat_sniff(data, n);
	if (t) {
		if (!strcmp(t, "image/png"))
			CHECK(n >= 8 && data[0] == 0x89);
		else if (!strcmp(t, "image/jpeg"))
			CHECK(n >= 3 && data[0] == 0xFF && data[1] == 0xD8);
		else if (!strcmp(t, "application/ofd"))
			CHECK(n >= 4 && !memcmp(data, "PK\3\4", 4));
		else
			CHECK(!strcmp(t, "application/pdf") && memmem(data, n < 1024 ? n : 1024, "%PDF-", 5));
	}
	/* The same bytes as a Content-Type and as a title. */
	char *s = malloc(n + 1);
	if (!s)
		return 0;
	memcpy(s, data, n);
	s[n] = '\0';
	const char *c = yw_mat_claim(s);
	CHECK(!c || !strcmp(c, YW_MAT_ANY) || *yw_mat_ext(c));
	yw_arena *a = yw_arena_new(4096);
	if (a) {
		const char *d = yw_mat_disposition(a, s, t ? t : "application/pdf");
		CHECK(d);
		const char *enc = strstr(d, "UTF-8''");
		CHECK(enc);
		for (const char *p = enc + 7; *p; p++)
			CHECK(*p > 0x20 && *p < 0x7F && *p != '"' && *p != ';' && *p != '\\' && *p != '/');
		yw_arena_free(a);
	}
	free(s);
	return 0;
}
