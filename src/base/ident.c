/* Validators for the national identifiers (STANDARDS.md §1, §2) and their display masks. */
#include <string.h>

#include "base/base.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* ---- citizen ID, GB 11643-1999 --------------------------------------------------------- */

/* The first two digits of the address code. Old county codes stay valid for life, so only the
 * province is checked (STANDARDS.md §1): the 34 province-level codes of GB/T 2260, 71 台湾,
 * 81 香港 and 82 澳门 included. */
static bool id_province_plausible(const char *s)
{
	static const unsigned char provinces[] = {
		11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43,
		44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
	};
	int p = (s[0] - '0') * 10 + (s[1] - '0');
	for (size_t i = 0; i < sizeof provinces; i++)
		if (provinces[i] == p)
			return true;
	return false;
}

static yw_date id_birth_of(const char *body)
{
	int v[8];
	for (int i = 0; i < 8; i++)
		v[i] = body[6 + i] - '0';
	return (yw_date){ v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3], v[4] * 10 + v[5], v[6] * 10 + v[7] };
}

/* The earliest birth year accepted. Not 1900: the standard's own annex example
 * 440524188001010014 was born in 1880, and records of the long dead are still processed. */
#define ID_BIRTH_MIN_YEAR 1800

/* A real date, not absurdly early, and not after today in China. */
static bool id_birth_plausible(const char *body)
{
	yw_date b = id_birth_of(body);
	if (!yw_date_valid(b) || b.y < ID_BIRTH_MIN_YEAR)
		return false;
	return yw_date_to_days(b) <= yw_date_to_days(yw_date_today_cst());
}

char yw_id_check_char(const char body17[17])
{
	/* ISO 7064 MOD 11-2: W(i) = 2^(17-i) mod 11, and the remainder indexes this table. */
	static const unsigned char weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	static const char check[11] = "10X98765432";
	unsigned sum = 0;
	for (int i = 0; i < 17; i++) {
		if (!is_digit(body17[i]))
			return '\0';
		sum += (unsigned)(body17[i] - '0') * weights[i];
	}
	return check[sum % 11];
}

/* Bring either form to 17 body digits plus the check character as given ('\0' when the number
 * has none, i.e. the 15-digit form). False when the shape is wrong. */
static bool id_normalise(const char *s, char body[18], char *given)
{
	size_t len = strnlen(s, 19);
	if (len == 18) {
		if (!yw_str_all_digits(s, 17))
			return false;
		char c = s[17] == 'x' ? 'X' : s[17];
		if (!is_digit(c) && c != 'X')
			return false;
		memcpy(body, s, 17);
		*given = c;
	} else if (len == 15) {
		/* GB 11643-1989: YYMMDD births, all in the 1900s, and no check character. */
		if (!yw_str_all_digits(s, 15))
			return false;
		memcpy(body, s, 6);
		memcpy(body + 6, "19", 2);
		memcpy(body + 8, s + 6, 9);
		*given = '\0';
	} else {
		return false;
	}
	body[17] = '\0';
	return true;
}

yw_err yw_id_check(const char *s, char out18[19])
{
	char body[18], given;
	if (!s || !id_normalise(s, body, &given))
		return YW_E_BAD_ID_NUMBER;
	if (!id_province_plausible(body) || !id_birth_plausible(body))
		return YW_E_BAD_ID_NUMBER;
	char check = yw_id_check_char(body);
	if (given != '\0' && given != check)
		return YW_E_BAD_ID_NUMBER;
	memcpy(out18, body, 17);
	out18[17] = check;
	out18[18] = '\0';
	return YW_E_OK;
}

void yw_id_birth(const char id18[19], yw_date *birth)
{
	*birth = id_birth_of(id18);
}

bool yw_id_is_male(const char id18[19])
{
	/* The last digit of the sequence code: odd for men, even for women. */
	return (id18[16] - '0') % 2 == 1;
}

/* ---- unified social credit code, GB 32100-2015 ------------------------------------------ */

/* 31 characters: digits and capitals without I, O, Z, S, V; a character's value is its index. */
static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int uscc_value(char c)
{
	const char *p = c ? strchr(uscc_alphabet, c) : NULL;
	return p ? (int)(p - uscc_alphabet) : -1;
}

char yw_uscc_check_char(const char body17[17])
{
	/* GB/T 17710 MOD 31-3: W(i) = 3^i mod 31. */
	static const unsigned char weights[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 };
	unsigned sum = 0;
	for (int i = 0; i < 17; i++) {
		int v = uscc_value(body17[i]);
		if (v < 0)
			return '\0';
		sum += (unsigned)v * weights[i];
	}
	return uscc_alphabet[(31 - sum % 31) % 31];
}

/* Positions 9–17 are a GB 11714 organisation code whose last character checks the eight
 * before it (MOD 11, letters valued 10–35). */
static bool org_code_ok(const char *code9)
{
	static const unsigned char weights[8] = { 3, 7, 9, 10, 5, 8, 4, 2 };
	unsigned sum = 0;
	for (int i = 0; i < 8; i++) {
		char c = code9[i];
		unsigned v = is_digit(c) ? (unsigned)(c - '0') : (unsigned)(c - 'A' + 10);
		sum += v * weights[i];
	}
	unsigned r = 11 - sum % 11;
	char want = r == 10 ? 'X' : r == 11 ? '0' : (char)('0' + r);
	return code9[8] == want;
}

yw_err yw_uscc_check(const char *s)
{
	if (!s || strnlen(s, 19) != 18)
		return YW_E_BAD_USCC;
	for (int i = 0; i < 18; i++)
		if (uscc_value(s[i]) < 0)
			return YW_E_BAD_USCC;
	/* Positions 3–8 are a division code. The authority/type pair of positions 1–2 is not
	 * checked: its table is unverified against the official text (STANDARDS.md §2). */
	if (!yw_str_all_digits(s + 2, 6))
		return YW_E_BAD_USCC;
	if (yw_uscc_check_char(s) != s[17] || !org_code_ok(s + 8))
		return YW_E_BAD_USCC;
	return YW_E_OK;
}

/* ---- mobile numbers ---------------------------------------------------------------------- */

yw_err yw_mobile_check(const char *s, char out11[12])
{
	if (!s)
		return YW_E_BAD_MOBILE;
	/* A national number starts with 1, so a leading 86 can only be the country code. */
	if (s[0] == '+' && s[1] == '8' && s[2] == '6')
		s += 3;
	else if (s[0] == '8' && s[1] == '6')
		s += 2;
	if (strnlen(s, 12) != 11 || !yw_str_all_digits(s, 11) || s[0] != '1' || s[1] < '3')
		return YW_E_BAD_MOBILE;
	memcpy(out11, s, 12);
	return YW_E_OK;
}

/* ---- masks ------------------------------------------------------------------------------- */

/* Keep `head` and `tail` characters of s and star the rest. A string too short to leave
 * anything hidden is starred whole, so a malformed value never shows in clear. */
static void mask(const char *s, size_t max, size_t head, size_t tail, char *out)
{
	size_t n = s ? strnlen(s, max) : 0;
	bool partial = n > head + tail;
	for (size_t i = 0; i < n; i++)
		out[i] = partial && (i < head || i >= n - tail) ? s[i] : '*';
	out[n] = '\0';
}

void yw_mask_id(const char id18[19], char out[19])
{
	mask(id18, 18, 4, 4, out);
}

void yw_mask_mobile(const char m11[12], char out[12])
{
	mask(m11, 11, 3, 4, out);
}
