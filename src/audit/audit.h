/*
 * audit — the append-only, hash-chained log of every state change.
 *
 * Modules call yw_audit_append inside the same write transaction as the change it records, so
 * the change and its entry commit or vanish together. Each entry carries the hash of the entry
 * before it; the chain head (last sequence number and hash) is kept in one row that every
 * append updates first, which serialises appenders on PostgreSQL and is free on SQLite's single
 * writer. yw_audit_verify walks the chain and names the first entry that was edited, removed,
 * inserted or moved.
 */
#ifndef YW_AUDIT_H
#define YW_AUDIT_H

#include "../base/base.h"
#include "../store/store.h"

typedef struct {
	const char *actor;        /* "system", "staff:42", "person:7 for person:9" */
	const char *action;       /* "division.read", "case.accept" … */
	const char *object_type;
	const char *object_id;
	const json_t *old_value;  /* may be NULL */
	const json_t *new_value;  /* may be NULL */
} yw_audit_entry;

/* Append inside a write transaction. *seq (may be NULL) gets the entry's sequence number. */
yw_err yw_audit_append(yw_db *tx, const yw_audit_entry *e, long long *seq);

/* yw_audit_append for a write function's usual case: takes the references to old_value (may be
 * NULL) and new_value, so that one call both records and releases, and a new_value that could not
 * be built (NULL) fails the write with NO_MEMORY rather than recording an empty change. */
yw_err yw_audit_add(yw_db *tx, const char *actor, const char *action, const char *object_type,
                    const char *object_id, json_t *old_value, json_t *new_value);

typedef struct {
	long long checked;        /* entries checked */
	long long first_bad;      /* sequence number of the first broken entry, 0 if none */
	char reason[256];         /* Chinese, names what is wrong */
} yw_audit_report;

/* YW_E_OK when the chain is whole; YW_E_AUDIT_BROKEN with the report filled otherwise. */
yw_err yw_audit_verify(yw_store *s, yw_audit_report *rep);

#endif
