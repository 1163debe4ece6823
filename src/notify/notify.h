/*
 * notify — messages to people, through a channel interface.
 *
 * A module that must tell someone something (an SMS login code today; notices later) calls
 * yw_notify_sms inside its own write transaction, so the message and the change that caused it
 * commit or vanish together. The only channel now is the sandbox, and only when the server runs
 * with --sandbox (the caller passes config->sandbox): the message goes into the table
 * sandbox_sms, an inbox that GET /api/v1/sandbox/sms shows, for demos and tests; each insert
 * deletes the messages older than 10 minutes, so the inbox never keeps live codes for long. The
 * inbox keeps the number only masked (138****5678) and as its keyed lookup hash. Without
 * --sandbox there is no channel: the message is dropped with one warning line that carries
 * neither the number nor the text (the text holds a code), and the call succeeds. A real SMS
 * gateway is a later channel behind the same function: it would queue an outbox row in the
 * transaction and send after commit.
 */
#ifndef YW_NOTIFY_H
#define YW_NOTIFY_H

#include "../base/base.h"
#include "../store/store.h"

/* Send `text` to the 11-digit mobile number through the configured channel, inside tx.
 * sandbox: the server runs with --sandbox (the only channel today). */
yw_err yw_notify_sms(yw_db *tx, yw_keys *k, bool sandbox, const char *mobile11, const char *text);

#endif
