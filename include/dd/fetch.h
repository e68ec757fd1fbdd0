/*
 * fetch.h: an HTTPS resource a check asks for, the way it asks for a DNS
 * name (MTA-STS policies, BIMI logos and certificates). The check only
 * names the URL; the gather engine looks up the host's A and AAAA through
 * the resolver (so --resolver and --zone hold for HTTP too), fetches it
 * through the HTTP interface (cmd/gather/http.h) and stores the outcome in
 * the posture. Fetches are leaves: nothing is followed from a body.
 */
#ifndef DD_FETCH_H
#define DD_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The outcome of one fetch (names are part of the JSON contract). */
enum dd_fetch_status {
	DD_FETCH_OK = 0,           /* 200 with a body within the cap */
	DD_FETCH_HTTP_ERROR,       /* another HTTP status: http_code says which */
	DD_FETCH_TLS_ERROR,        /* handshake failed or the certificate did not verify */
	DD_FETCH_TIMEOUT,          /* connect or total timeout */
	DD_FETCH_TOO_LARGE,        /* the body passed the cap */
	DD_FETCH_REDIRECT_REFUSED, /* a 3xx: RFC 8461 §3.3 forbids following it */
	DD_FETCH_CONNECT_ERROR,    /* refused, unreachable */
	DD_FETCH_NO_ADDRESS,       /* the host has no A or AAAA record */
	DD_FETCH_DNS_FAILURE,      /* the host's lookups failed: a temporary failure */
	DD_FETCH_NOT_FETCHED,      /* --offline, --no-http, or a cap: unknown, not missing */
	DD_FETCH_BAD_URL,          /* not an https:// URL with a valid host */
};

const char *dd_fetch_status_name(enum dd_fetch_status s);
/* The outcome says nothing about the resource (timeout, DNS failure). */
bool dd_fetch_status_is_failure(enum dd_fetch_status s);

/* Fetch caps (RFC 8461 §3.3 has 64 KiB as the policy's floor; the engine's cap). */
#define DD_FETCH_MAX_BODY (64u * 1024u)
#define DD_FETCH_URL_MAX  2048

struct dd_fetch {
	char *url;
	char *host; /* normalised A-label host of url */
	uint16_t port;
	int32_t parent;  /* the query whose answer asked for it, -1 for none */
	uint32_t askers; /* bit i: check i asked */
	long addr_q[2];  /* the posture queries of host's A and AAAA, -1 when not asked */
	bool started;
	bool done;
	enum dd_fetch_status status;
	long http_code;     /* 0 when no response */
	char *content_type; /* the Content-Type header as sent, NULL when none */
	char *body;         /* NUL-terminated; may hold NUL bytes: body_len is the truth */
	size_t body_len;
	char *error; /* the transport's words, for the output */
};

/*
 * Split an https:// URL: host (normalised, lowercase A-labels) into host
 * (DD_NAME_MAX + 1 bytes), the port (443 unless given). Returns false for
 * anything else (http://, userinfo, an IP literal, a bad host or port,
 * control bytes, over DD_FETCH_URL_MAX).
 */
bool dd_url_parse_https(const char *url, size_t len, char *host, uint16_t *port);

/*
 * A Content-Type header value (RFC 9110 §8.3): the media type, lowercased,
 * into type (typesz bytes), and the charset parameter (lowercased, quotes
 * removed) into charset, "" when none. Returns false when it is not
 * type "/" subtype followed by parameters.
 */
bool dd_media_type_parse(const char *value, size_t len, char *type, size_t typesz, char *charset,
                         size_t charsetsz);

#endif
