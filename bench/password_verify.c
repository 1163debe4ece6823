/*
 * Password logins per second: the cost that dominates a password login is one argon2id verify
 * with the parameters identity.h states (t = 2, m = 19 MiB, p = 1). One thread per core verifies
 * a stored hash for SECONDS and the total is reported, with the per-core figure that published
 * comparisons use (Keycloak ≈ 15 password logins/s per vCPU).
 *
 *   bench_password_verify SECONDS
 * prints verifies_per_sec=<n> per_core=<n> cores=<n>
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "identity/identity.h"

static char stored[128];
static atomic_long done;
static atomic_bool stop;

static void *worker(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		if (!yw_pw_verify(stored, "correct horse battery staple")) {
			fprintf(stderr, "verify failed\n");
			exit(1);
		}
		atomic_fetch_add(&done, 1);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int seconds = argc > 1 ? atoi(argv[1]) : 10;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	if (seconds < 1 || cores < 1 || cores > 256 || yw_pw_hash("correct horse battery staple", stored)) {
		fprintf(stderr, "usage: bench_password_verify SECONDS\n");
		return 2;
	}
	pthread_t th[256];
	for (long i = 0; i < cores; i++)
		pthread_create(&th[i], NULL, worker, NULL);
	uint64_t t0 = yw_now_us_mono();
	sleep((unsigned)seconds);
	atomic_store(&stop, true);
	for (long i = 0; i < cores; i++)
		pthread_join(th[i], NULL);
	double secs = (double)(yw_now_us_mono() - t0) / 1e6;
	double rate = (double)atomic_load(&done) / secs;
	printf("verifies_per_sec=%.1f per_core=%.1f cores=%ld\n", rate, rate / (double)cores, cores);
	return 0;
}
