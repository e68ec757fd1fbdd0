/*
 * unpack.h: from a path (file, directory, "-") to the report documents it
 * holds. Containers: plain XML, gzip (also gzip of gzip), zip, and report
 * e-mails (.eml, mbox, Maildir) with the report as a MIME attachment
 * (base64 or quoted-printable; gzip or zip inside). Libraries do the formats
 * (zlib/libarchive, GMime 3); this layer only walks and caps.
 *
 * Every input ends in exactly one of two callbacks per document or per
 * thing that is not one: `document` with the decompressed bytes, or `skip`
 * with the reason. Nothing is dropped silently.
 */
#ifndef DD_UNPACK_H
#define DD_UNPACK_H

#include <stddef.h>

#include "dd/types.h"

/* What a skipped input was. */
enum dd_unpack_skip {
	DD_UNPACK_UNREADABLE,   /* it could not be read: I/O, a corrupt or encrypted container */
	DD_UNPACK_NOT_A_REPORT, /* it was read, and holds no report */
	DD_UNPACK_OVER_CAP,     /* a size, nesting or count cap stopped it */
};

/*
 * Where a document came from: the path, then each container member,
 * joined with "!": "reports/a.eml!google.com!x.zip!google.com!x.xml".
 */
struct dd_unpack_sink {
	/* A candidate report document (not yet parsed): `data` is valid only
	 * during the call. */
	void (*document)(void *ctx, const char *origin, const unsigned char *data, size_t len);
	/* An input that holds no report, or could not be read: `reason` names
	 * the cap or the failure ("decompressed size over the 32 MiB cap"), in
	 * English and Japanese; valid only during the call. */
	void (*skip)(void *ctx, const char *origin, enum dd_unpack_skip kind,
	             const struct dd_text *reason);
	void *ctx;
};

struct dd_unpack_limits {
	size_t max_document;  /* decompressed bytes of one document */
	unsigned max_nesting; /* containers inside containers */
	size_t max_members;   /* members of one archive or parts of one e-mail */
};

/* The defaults (documented in README and SECURITY.md). */
extern const struct dd_unpack_limits dd_unpack_default_limits;

/*
 * Walk `path`: a file, a directory (recursively, in a stable order, not
 * following symlinks out of it), or "-" for standard input.
 */
void dd_unpack_path(const char *path, const struct dd_unpack_limits *lim,
                    const struct dd_unpack_sink *sink);

/* Unpack bytes already in memory (standard input, fuzzing, tests). */
void dd_unpack_buffer(const char *origin, const unsigned char *data, size_t len,
                      const struct dd_unpack_limits *lim, const struct dd_unpack_sink *sink);

#endif
