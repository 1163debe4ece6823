/*
 * The SQL of organisations, handlers and agents: the only place that touches orgs,
 * org_handlers and agent_authorizations (006_orgs.sql). Persons are joined for their name and
 * sealed ID number only, which org_api.c masks before anything leaves the server.
 *
 * "Live" is decided in SQL only to narrow (revoked_at IS NULL AND valid_until >= today, which
 * compares correctly because both are YYYY-MM-DD); the final word is yw_deleg_check's.
 */
#include <string.h>

#include "identity/internal.h"

#define ORG_COLS "o.id, o.name, o.uscc, o.org_type, o.legal_rep_id, o.division_code, o.verified, " \
	"o.created_at, p.name, p.id_enc"

static void org_row(const yw_rows *rows, int i, void *record)
{
	yw_idn_org *o = record;
	*o = (yw_idn_org){
		.id = yw_rows_text(rows, i, 0),
		.name = yw_rows_text(rows, i, 1),
		.uscc = yw_rows_text(rows, i, 2),
		.type = yw_rows_text(rows, i, 3),
		.legal_rep_id = yw_rows_text(rows, i, 4),
		.division_code = yw_rows_text(rows, i, 5),
		.verified = yw_rows_int(rows, i, 6) != 0,
		.created_at = yw_rows_int(rows, i, 7),
		.rep_name = yw_rows_text(rows, i, 8),
		.rep_id_enc = yw_rows_text(rows, i, 9),
	};
}

yw_err yw_idn_org_insert(yw_db *tx, const yw_idn_org *o)
{
	return yw_db_exec(tx, "INSERT INTO orgs (id, name, uscc, org_type, legal_rep_id, division_code, "
	                      "verified, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
	                  YW_PARAMS(YW_VTEXT(o->id), YW_VTEXT(o->name), YW_VTEXT(o->uscc),
	                            YW_VTEXT(o->type), YW_VTEXT(o->legal_rep_id),
	                            YW_VTEXT(o->division_code), YW_VINT(o->verified ? 1 : 0),
	                            YW_VINT(o->created_at)),
	                  NULL);
}

yw_err yw_idn_org_get(yw_db *db, yw_arena *a, const char *id, yw_idn_org *out)
{
	return yw_idn_read_row(db, a, "SELECT " ORG_COLS " FROM orgs o JOIN persons p ON "
	                              "p.id = o.legal_rep_id WHERE o.id = $1",
	                       YW_PARAMS(YW_VTEXT(id)), org_row, out);
}

yw_err yw_idn_org_by_uscc(yw_db *db, yw_arena *a, const char *uscc, yw_idn_org *out)
{
	return yw_idn_read_row(db, a, "SELECT " ORG_COLS " FROM orgs o JOIN persons p ON "
	                              "p.id = o.legal_rep_id WHERE o.uscc = $1",
	                       YW_PARAMS(YW_VTEXT(uscc)), org_row, out);
}

yw_err yw_idn_orgs_of(yw_db *db, yw_arena *a, const char *person, const char *today,
                      yw_idn_org **out, int *n)
{
	yw_err e;
	*out = yw_idn_read_rows(db, a,
	                        "SELECT " ORG_COLS " FROM orgs o JOIN persons p ON p.id = o.legal_rep_id "
	                        "WHERE o.legal_rep_id = $1 OR o.id IN (SELECT h.org_id FROM org_handlers h "
	                        "WHERE h.person_id = $1 AND h.revoked_at IS NULL AND h.valid_until >= $2) "
	                        "ORDER BY o.created_at, o.id",
	                        YW_PARAMS(YW_VTEXT(person), YW_VTEXT(today)), sizeof **out, org_row, n, &e);
	return e;
}

/* ---- delegations ------------------------------------------------------------------------- */

/* Every delegation query selects: id, owner, person, items, valid_until, created, revoked_at,
 * and the shown person's name and sealed ID number. */
static void deleg_row(const yw_rows *rows, int i, void *record)
{
	yw_idn_deleg *d = record;
	*d = (yw_idn_deleg){
		.id = yw_rows_text(rows, i, 0),
		.owner_id = yw_rows_text(rows, i, 1),
		.person_id = yw_rows_text(rows, i, 2),
		.items = yw_rows_text(rows, i, 3),
		.valid_until = yw_rows_text(rows, i, 4),
		.created_at = yw_rows_int(rows, i, 5),
		.revoked_at = yw_rows_int(rows, i, 6),
		.shown_name = yw_rows_text(rows, i, 7),
		.shown_id_enc = yw_rows_text(rows, i, 8),
	};
}

static yw_err deleg_list(yw_db *db, yw_arena *a, const char *sql, const yw_val *params, int np,
                         yw_idn_deleg **out, int *n)
{
	yw_err e;
	*out = yw_idn_read_rows(db, a, sql, params, np, sizeof **out, deleg_row, n, &e);
	return e;
}

static yw_err deleg_one(yw_db *db, yw_arena *a, const char *sql, const yw_val *params, int np,
                        yw_idn_deleg *out)
{
	return yw_idn_read_row(db, a, sql, params, np, deleg_row, out);
}

#define HANDLER_COLS "h.id, h.org_id, h.person_id, h.items, h.valid_until, h.granted_at, " \
	"h.revoked_at, p.name, p.id_enc FROM org_handlers h JOIN persons p ON p.id = h.person_id "

yw_err yw_idn_handler_insert(yw_db *tx, const yw_idn_deleg *d)
{
	return yw_db_exec(tx, "INSERT INTO org_handlers (id, org_id, person_id, items, valid_until, "
	                      "granted_at) VALUES ($1, $2, $3, $4, $5, $6)",
	                  YW_PARAMS(YW_VTEXT(d->id), YW_VTEXT(d->owner_id), YW_VTEXT(d->person_id),
	                            YW_VTEXT(d->items), YW_VTEXT(d->valid_until), YW_VINT(d->created_at)),
	                  NULL);
}

yw_err yw_idn_handlers_of(yw_db *db, yw_arena *a, const char *org_id, yw_idn_deleg **out, int *n)
{
	return deleg_list(db, a, "SELECT " HANDLER_COLS "WHERE h.org_id = $1 "
	                         "ORDER BY h.granted_at DESC, h.id",
	                  YW_PARAMS(YW_VTEXT(org_id)), out, n);
}

yw_err yw_idn_handlers_live(yw_db *db, yw_arena *a, const char *org_id, const char *person,
                            const char *today, yw_idn_deleg **out, int *n)
{
	return deleg_list(db, a, "SELECT " HANDLER_COLS "WHERE h.org_id = $1 AND h.person_id = $2 "
	                         "AND h.revoked_at IS NULL AND h.valid_until >= $3",
	                  YW_PARAMS(YW_VTEXT(org_id), YW_VTEXT(person), YW_VTEXT(today)), out, n);
}

yw_err yw_idn_handler_get(yw_db *db, yw_arena *a, const char *org_id, const char *id,
                          yw_idn_deleg *out)
{
	return deleg_one(db, a, "SELECT " HANDLER_COLS "WHERE h.org_id = $1 AND h.id = $2",
	                 YW_PARAMS(YW_VTEXT(org_id), YW_VTEXT(id)), out);
}

/* One statement, so that two revocations racing cannot both report success. */
yw_err yw_idn_handler_revoke(yw_db *tx, const char *org_id, const char *id, yw_ms now, bool *done)
{
	long long changed = 0;
	yw_err e = yw_db_exec(tx, "UPDATE org_handlers SET revoked_at = $3 WHERE org_id = $1 AND id = $2 "
	                          "AND revoked_at IS NULL",
	                      YW_PARAMS(YW_VTEXT(org_id), YW_VTEXT(id), YW_VINT(now)), &changed);
	*done = changed > 0;
	return e;
}

#define AGENT_SELECT "SELECT a.id, a.principal_id, a.agent_id, a.items, a.valid_until, " \
	"a.created_at, a.revoked_at, p.name, p.id_enc FROM agent_authorizations a "

yw_err yw_idn_agent_insert(yw_db *tx, const yw_idn_deleg *d)
{
	return yw_db_exec(tx, "INSERT INTO agent_authorizations (id, principal_id, agent_id, items, "
	                      "valid_until, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
	                  YW_PARAMS(YW_VTEXT(d->id), YW_VTEXT(d->owner_id), YW_VTEXT(d->person_id),
	                            YW_VTEXT(d->items), YW_VTEXT(d->valid_until), YW_VINT(d->created_at)),
	                  NULL);
}

yw_err yw_idn_agents_of(yw_db *db, yw_arena *a, const char *principal, yw_idn_deleg **out, int *n)
{
	return deleg_list(db, a, AGENT_SELECT "JOIN persons p ON p.id = a.agent_id "
	                         "WHERE a.principal_id = $1 ORDER BY a.created_at DESC, a.id",
	                  YW_PARAMS(YW_VTEXT(principal)), out, n);
}

yw_err yw_idn_principals_of(yw_db *db, yw_arena *a, const char *agent, const char *today,
                            yw_idn_deleg **out, int *n)
{
	return deleg_list(db, a, AGENT_SELECT "JOIN persons p ON p.id = a.principal_id "
	                         "WHERE a.agent_id = $1 AND a.revoked_at IS NULL AND a.valid_until >= $2 "
	                         "ORDER BY a.created_at DESC, a.id",
	                  YW_PARAMS(YW_VTEXT(agent), YW_VTEXT(today)), out, n);
}

yw_err yw_idn_agents_live(yw_db *db, yw_arena *a, const char *principal, const char *agent,
                          const char *today, yw_idn_deleg **out, int *n)
{
	return deleg_list(db, a, AGENT_SELECT "JOIN persons p ON p.id = a.agent_id "
	                         "WHERE a.principal_id = $1 AND a.agent_id = $2 AND a.revoked_at IS NULL "
	                         "AND a.valid_until >= $3",
	                  YW_PARAMS(YW_VTEXT(principal), YW_VTEXT(agent), YW_VTEXT(today)), out, n);
}

yw_err yw_idn_agent_get(yw_db *db, yw_arena *a, const char *principal, const char *id,
                        yw_idn_deleg *out)
{
	return deleg_one(db, a, AGENT_SELECT "JOIN persons p ON p.id = a.agent_id "
	                        "WHERE a.principal_id = $1 AND a.id = $2",
	                 YW_PARAMS(YW_VTEXT(principal), YW_VTEXT(id)), out);
}

yw_err yw_idn_agent_revoke(yw_db *tx, const char *principal, const char *id, yw_ms now, bool *done)
{
	long long changed = 0;
	yw_err e = yw_db_exec(tx, "UPDATE agent_authorizations SET revoked_at = $3 WHERE principal_id = $1 "
	                          "AND id = $2 AND revoked_at IS NULL",
	                      YW_PARAMS(YW_VTEXT(principal), YW_VTEXT(id), YW_VINT(now)), &changed);
	*done = changed > 0;
	return e;
}
