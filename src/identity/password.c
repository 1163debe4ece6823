/*
 * argon2id through libsodium, with the parameters stated in identity.h (t = 2, m = 19 MiB,
 * p = 1). sodium_init runs once, on first use.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "identity/identity.h"

_Static_assert(crypto_pwhash_STRBYTES == 128, "yw_pw_hash's buffer is 128 bytes");

static pthread_once_t once = PTHREAD_ONCE_INIT;
static bool ready;
/* A hash of a random password, verified against when the account does not exist. */
static char dummy[crypto_pwhash_STRBYTES];

static void init(void)
{
	if (sodium_init() < 0)
		return;
	char pw[33];
	randombytes_buf(pw, 16);
	sodium_bin2hex(pw, sizeof(pw), (const unsigned char *)pw, 16);
	if (crypto_pwhash_str_alg(dummy, pw, strlen(pw), YW_PW_OPSLIMIT, YW_PW_MEMLIMIT,
	                          crypto_pwhash_ALG_ARGON2ID13) == 0)
		ready = true;
}

int yw_pw_hash(const char *pw, char out[128])
{
	pthread_once(&once, init);
	if (!ready)
		return -1;
	return crypto_pwhash_str_alg(out, pw, strlen(pw), YW_PW_OPSLIMIT, YW_PW_MEMLIMIT,
	                             crypto_pwhash_ALG_ARGON2ID13) == 0 ? 0 : -1;
}

bool yw_pw_verify(const char *stored, const char *pw)
{
	pthread_once(&once, init);
	if (!ready)
		return false;
	bool real = stored && stored[0];
	int rc = crypto_pwhash_str_verify(real ? stored : dummy, pw, strlen(pw));
	return real && rc == 0;
}

int yw_idn_code6(char out[7])
{
	pthread_once(&once, init);
	if (!ready)
		return -1;
	snprintf(out, 7, "%06u", (unsigned)randombytes_uniform(1000000));
	return 0;
}
