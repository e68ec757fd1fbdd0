/*
 * domain.c: domain names in the one form every module compares: lowercase
 * ASCII, no trailing dot, labels of 1..63 octets, 253 octets in all
 * (RFC 1035 §2.3.4). Unicode names are turned into A-labels before they get
 * here (cmd/options.c, RFC 5891).
 */
#include <stdint.h>
#include <string.h>

#include "dd/types.h"
#include "dd/util.h"

static char ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Equal bytes first: the names compared are mostly in one case already
 * (a report's and a posture's names are lowercased), and these compares
 * were a tenth of building a domain's report evidence. */
bool dd_strcaseeq(const char *a, const char *b)
{
	for (;; a++, b++) {
		if (*a == *b) {
			if (!*a)
				return true;
		} else if (ascii_lower(*a) != ascii_lower(*b)) {
			return false;
		}
	}
}

bool dd_strncaseeq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (ascii_lower(a[i]) != ascii_lower(b[i]))
			return false;
		if (!a[i])
			return true;
	}
	return true;
}

int dd_memcasecmp(const char *a, size_t alen, const char *b, size_t blen)
{
	for (size_t i = 0; i < alen && i < blen; i++) {
		if (a[i] == b[i])
			continue;
		unsigned char ca = (unsigned char)ascii_lower(a[i]);
		unsigned char cb = (unsigned char)ascii_lower(b[i]);
		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	return alen < blen ? -1 : alen > blen ? 1 : 0;
}

bool dd_memcaseprefix(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	if (len < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (ascii_lower(s[i]) != ascii_lower(prefix[i]))
			return false;
	return true;
}

/* Each byte of a name as normalize() writes it: lowercased, or 0 where the
 * byte is refused ('\\', controls, DEL, non-ASCII, space and '"'; the
 * printable mode takes the last two back). '.' stays '.'. Generated, one
 * row per 16 bytes. */
/* clang-format off */
static const unsigned char name_byte[256] = {
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x21, 0x00, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f,
	0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
	0x40, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
	0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x5b, 0x00, 0x5d, 0x5e, 0x5f,
	0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
	0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x7b, 0x7c, 0x7d, 0x7e, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};
/* clang-format on */

/*
 * Any octet but '.' may appear in a label on the wire (RFC 2181 §11), and
 * mail records do use '_' (e.g. _spf, _dmarc). Always refused: empty
 * labels, over-long names, and bytes a resolver library would read as an
 * escape ('\\') or cannot send (controls, DEL, non-ASCII). A record asking
 * for such a name is malformed, and the check says so.
 */
static bool normalize(const char *in, size_t len, char *out, size_t outsz, bool printable)
{
	if (len && in[len - 1] == '.')
		len--;
	if (len == 0 || len > DD_NAME_MAX || len + 1 > outsz)
		return false;
	size_t label = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char b = (unsigned char)in[i], c = name_byte[b];
		if (c == 0 && printable && (b == ' ' || b == '"'))
			c = b;
		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else if (c == 0 || ++label > 63) {
			return false;
		}
		out[i] = (char)c;
	}
	if (label == 0)
		return false;
	out[len] = '\0';
	return true;
}

/* Host-like names: no space or '"' either (what checks ask for by default). */
bool dd_name_normalize(const char *in, size_t len, char *out, size_t outsz)
{
	return normalize(in, len, out, outsz, false);
}

bool dd_name_normalize_printable(const char *in, size_t len, char *out, size_t outsz)
{
	return normalize(in, len, out, outsz, true);
}

size_t dd_name_labels(const char *name)
{
	if (!*name)
		return 0;
	size_t n = 1;
	for (; *name; name++)
		if (*name == '.')
			n++;
	return n;
}

const char *dd_name_parent(const char *name)
{
	const char *dot = strchr(name, '.');
	return dot ? dot + 1 : NULL;
}

bool dd_name_is_under(const char *name, const char *ancestor)
{
	size_t n = strlen(name), a = strlen(ancestor);
	if (n < a)
		return false;
	if (!dd_strcaseeq(name + (n - a), ancestor))
		return false;
	return n == a || name[n - a - 1] == '.';
}

/*
 * Eight bytes a step, each mixed in by a multiply and a shift (as in
 * MurmurHash's finalizer): the posture's index and the engine's cache hash
 * every name of every question and answer, and byte-at-a-time FNV was 2.6 %
 * of a batch. No adversary can make the program quadratic beyond the
 * per-domain caps, and the seed varies per table.
 */
uint32_t dd_hash(const void *data, size_t len, uint32_t seed)
{
	const unsigned char *p = data;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ ((uint64_t)seed << 32) ^ len;
	for (; len >= 8; p += 8, len -= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	uint64_t tail = 0;
	for (size_t i = 0; i < len; i++)
		tail |= (uint64_t)p[i] << (8 * i);
	h = (h ^ tail) * 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 29;
	return (uint32_t)(h ^ (h >> 32));
}

/* FNV-1a: its values are written out (dd_hash_fnv1a in util.h). */
uint32_t dd_hash_fnv1a(const void *data, size_t len, uint32_t seed)
{
	const unsigned char *p = data;
	uint32_t h = 2166136261u ^ seed;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 16777619u;
	}
	return h;
}

uint32_t dd_hash_nocase(const char *s, size_t len, uint32_t seed)
{
	uint32_t h = 2166136261u ^ seed;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)ascii_lower(s[i]);
		h *= 16777619u;
	}
	return h;
}
