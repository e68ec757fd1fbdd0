/*
 * domain.c: domain names in the one form every module compares: lowercase
 * ASCII, no trailing dot, labels of 1..63 octets, 253 octets in all
 * (RFC 1035 §2.3.4). Unicode names are turned into A-labels before they get
 * here (cmd/options.c, RFC 5891).
 */
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
		unsigned char c = (unsigned char)in[i];
		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else {
			bool bad = printable ? (c < 0x20 || c > 0x7e)
			                     : (c <= ' ' || c >= 0x7f || c == '"');
			if (bad || c == '\\' || ++label > 63)
				return false;
		}
		out[i] = ascii_lower((char)c);
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

/* FNV-1a: short keys, no adversary can make the program quadratic beyond
 * the per-domain caps, and the seed varies per table. */
uint32_t dd_hash(const void *data, size_t len, uint32_t seed)
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
