/*
 * notify.h: delivery of connection notifications.
 *
 * A state change of an endpoint writes its connection events into
 * Notification_Outbox in the same transaction (pl-endpoint.c).  This
 * module delivers them the way SNS delivers to an HTTP subscription: a
 * POST of an SNS "Notification" document to every subscriber URL of the
 * topic (Topic:subscriber_urls), at least once, in order per endpoint,
 * with retries and exponential backoff while a subscriber is down.  An
 * event leaves the outbox only after every subscriber answered 2xx; since
 * the outbox is in OVSDB, deliveries survive a restart of plinkd.
 *
 * It has its own IDL connection, which replicates only the outbox and the
 * topics and has its own transactions, and a thread of its own for the
 * HTTP client, so a slow subscriber never delays the API.
 */
#ifndef NOTIFY_H
#define NOTIFY_H 1

struct ds;

struct notify *notify_create(const char *db_remote);
void notify_destroy(struct notify *);
void notify_run(struct notify *);
void notify_wait(struct notify *);
void notify_get_status(const struct notify *, struct ds *);

#endif /* notify.h */
