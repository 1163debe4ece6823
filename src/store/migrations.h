/*
 * migrations — the schema files of src/store/schema/, embedded at build time by
 * scripts/gen-migrations.mjs into $(O)/gen/migrations.c, sorted by version. Private to store.
 */
#ifndef YW_STORE_MIGRATIONS_H
#define YW_STORE_MIGRATIONS_H

typedef struct {
	int version;          /* NNN of NNN_name.sql */
	const char *name;
	const char *sql;      /* the whole file: several statements */
} yw_migration;

extern const yw_migration yw_migrations[];
extern const int yw_migrations_count;

#endif
