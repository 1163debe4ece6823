/* Division lookup over the generated table (see ref.h and scripts/gen-divisions.mjs). */
#include <string.h>

#include "ref/ref.h"

/* Widths of the groups of a 12-digit NBS code: province, prefecture, county, township, village.
 * A code is well formed when it ends on a group boundary. */
static const unsigned char group_end[] = { 2, 4, 6, 9, 12 };
#define NGROUPS (sizeof group_end / sizeof group_end[0])

static bool all_zeros(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != '0')
			return false;
	return true;
}

/* Index into group_end of the boundary at len, or -1 when len is not one. */
static int group_of_length(size_t len)
{
	for (size_t g = 0; g < NGROUPS; g++)
		if (group_end[g] == len)
			return (int)g;
	return -1;
}

/* Length of the code once its trailing all-zero groups are dropped ("340000" → 2), keeping at
 * least the province. 0 when the input is not a code of 2/4/6/9/12 digits. */
static size_t significant_length(const char *code)
{
	size_t len = strnlen(code, group_end[NGROUPS - 1] + 1);
	int g = group_of_length(len);
	if (g < 0 || !yw_str_all_digits(code, len))
		return 0;
	while (g > 0 && all_zeros(code + group_end[g - 1], group_end[g] - group_end[g - 1]))
		g--;
	return group_end[g];
}

/* The level whose own codes have len digits (2, 4, 6 or 9). */
static yw_div_level level_of_length(size_t len)
{
	return (yw_div_level)(YW_DIV_PROVINCE + group_of_length(len));
}

static uint32_t parse_digits(const char *s, size_t n)
{
	uint32_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (uint32_t)(s[i] - '0');
	return v;
}

static const yw_division *search_level(yw_div_level level, uint32_t code)
{
	uint32_t lo = yw_div_level_start[level - YW_DIV_PROVINCE];
	uint32_t hi = yw_div_level_start[level - YW_DIV_PROVINCE + 1];
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (yw_div_rows[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < yw_div_level_start[level - YW_DIV_PROVINCE + 1] && yw_div_rows[lo].code == code)
		return &yw_div_rows[lo];
	return NULL;
}

yw_err yw_division_find(const char *code, const yw_division **out)
{
	*out = NULL;
	if (!code)
		return YW_E_BAD_DIVISION_CODE;
	size_t len = significant_length(code);
	if (len == 0)
		return YW_E_BAD_DIVISION_CODE;
	/* Villages are not loaded: a 12-digit code with a village part is simply not found. */
	if (len > 9)
		return YW_E_DIVISION_NOT_FOUND;
	const yw_division *d = search_level(level_of_length(len), parse_digits(code, len));
	if (!d)
		return YW_E_DIVISION_NOT_FOUND;
	*out = d;
	return YW_E_OK;
}

/* Digits of each level's own code, and of the code as presented. */
static size_t own_width(yw_div_level level)
{
	switch (level) {
	case YW_DIV_PROVINCE: return 2;
	case YW_DIV_PREFECTURE: return 4;
	case YW_DIV_COUNTY: return 6;
	default: return 9;
	}
}

/* Written by hand rather than with snprintf: this runs for every row of every division answer. */
size_t yw_division_code(const yw_division *d, char out[YW_DIV_CODE_MAX])
{
	size_t own = own_width((yw_div_level)d->level);
	size_t shown = own < 6 ? 6 : own;
	uint32_t v = d->code;
	for (size_t i = own; i-- > 0; v /= 10)
		out[i] = (char)('0' + v % 10);
	memset(out + own, '0', shown - own);
	out[shown] = '\0';
	return shown;
}

const char *yw_division_name(const yw_division *d)
{
	return yw_div_names + d->name;
}

yw_div_level yw_division_level(const yw_division *d)
{
	return (yw_div_level)d->level;
}

const char *yw_division_level_name(yw_div_level level)
{
	switch (level) {
	case YW_DIV_PROVINCE: return "province";
	case YW_DIV_PREFECTURE: return "prefecture";
	case YW_DIV_COUNTY: return "county";
	case YW_DIV_TOWNSHIP: return "township";
	}
	return "unknown";
}

const yw_division *yw_division_parent(const yw_division *d)
{
	return d->parent == YW_DIV_NONE ? NULL : &yw_div_rows[d->parent];
}

bool yw_division_within(const char *code, const char *area)
{
	const yw_division *d, *a;
	if (!code || !area || yw_division_find(code, &d) || yw_division_find(area, &a))
		return false;
	for (; d; d = yw_division_parent(d))
		if (d == a)
			return true;
	return false;
}

size_t yw_division_children(const yw_division *d, const yw_division **first)
{
	*first = d->nchildren ? &yw_div_rows[d->first_child] : NULL;
	return d->nchildren;
}

size_t yw_division_provinces(const yw_division **first)
{
	*first = &yw_div_rows[yw_div_level_start[0]];
	return yw_div_level_start[1] - yw_div_level_start[0];
}

const char *yw_division_source(void)
{
	return yw_div_source;
}

/* Only the six-digit form pads its province and prefecture with zero pairs; a township's nine
 * digits are all its own (341302100 is a township, and "3413021" would also reach its neighbours
 * 341302101 … 341302199), so they are kept whole. */
size_t yw_division_prefix_len(const char *code)
{
	size_t n = strlen(code);
	while (n > 2 && n <= 6 && code[n - 1] == '0' && code[n - 2] == '0')
		n -= 2;
	return n;
}
