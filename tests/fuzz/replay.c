/*
 * replay.c: the plain driver for the fuzz harnesses. Feeds every file of
 * the given directories to LLVMFuzzerTestOneInput(), then deterministic
 * mutations of them (bit flips, truncations, insertions, splices), so
 * that `meson test` - and the sanitizer build above all - exercises each
 * parser with hostile input on every run. Exit 0 when nothing crashed.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#define SEED_MAX  (1 << 20)
#define MUTATIONS 300 /* per seed */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t next_random(void)
{
	/* xorshift64*: fixed seed, the same inputs on every run */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545f4914f6cdd1dull) >> 32);
}

struct seed {
	uint8_t *data;
	size_t len;
};

static struct seed *seeds;
static size_t nseeds;

static void load(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "replay: cannot open %s\n", dir);
		exit(2);
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		FILE *f = fopen(path, "rb");
		if (!f)
			continue;
		uint8_t *buf = malloc(SEED_MAX);
		size_t n = fread(buf, 1, SEED_MAX, f);
		fclose(f);
		seeds = realloc(seeds, (nseeds + 1) * sizeof(*seeds));
		seeds[nseeds++] = (struct seed){ buf, n };
	}
	closedir(d);
}

static size_t mutate(uint8_t *buf, size_t len, size_t cap)
{
	switch (next_random() % 6) {
	case 0: /* flip a bit */
		if (len)
			buf[next_random() % len] ^= (uint8_t)(1u << (next_random() % 8));
		return len;
	case 1: /* truncate */ return len ? next_random() % len : 0;
	case 2: /* overwrite with an interesting byte */
		if (len) {
			static const uint8_t bytes[] = { 0,   0xff, 0x7f, 0x80, '"',
				                         ';', '=',  '\\', ':',  '%',
				                         '.', ' ',  0xc0, 0x3f, 0x1b };
			buf[next_random() % len] = bytes[next_random() % sizeof(bytes)];
		}
		return len;
	case 3: /* insert a run of one byte */
	{
		size_t at = len ? next_random() % len : 0, n = 1 + next_random() % 64;
		if (len + n > cap)
			return len;
		memmove(buf + at + n, buf + at, len - at);
		memset(buf + at, (int)(next_random() & 0xff), n);
		return len + n;
	}
	case 4: /* splice another seed in */
	{
		const struct seed *s = &seeds[next_random() % nseeds];
		size_t at = len ? next_random() % len : 0;
		size_t n = s->len ? next_random() % s->len : 0;
		if (at + n > cap)
			return len;
		memcpy(buf + at, s->data, n);
		return at + n > len ? at + n : len;
	}
	default: /* duplicate a chunk */
	{
		if (!len)
			return len;
		size_t from = next_random() % len, n = next_random() % (len - from + 1);
		if (len + n > cap)
			return len;
		memmove(buf + len, buf + from, n);
		return len + n;
	}
	}
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		load(argv[i]);
	if (nseeds == 0) {
		fprintf(stderr, "replay: no seeds\n");
		return 2;
	}
	uint8_t *buf = malloc(SEED_MAX);
	size_t runs = 0;
	for (size_t s = 0; s < nseeds; s++) {
		LLVMFuzzerTestOneInput(seeds[s].data, seeds[s].len);
		runs++;
		size_t len = seeds[s].len;
		memcpy(buf, seeds[s].data, len);
		for (int m = 0; m < MUTATIONS; m++) {
			len = mutate(buf, len, SEED_MAX);
			/* the harness gets its own copy of exactly len bytes, so that
			 * ASan sees any read past the end */
			uint8_t *copy = malloc(len ? len : 1);
			memcpy(copy, buf, len);
			LLVMFuzzerTestOneInput(copy, len);
			free(copy);
			runs++;
			if (m % 50 == 49) { /* start again from the seed now and then */
				len = seeds[s].len;
				memcpy(buf, seeds[s].data, len);
			}
		}
	}
	printf("replay: %zu seeds, %zu inputs, no crash\n", nseeds, runs);
	for (size_t s = 0; s < nseeds; s++)
		free(seeds[s].data);
	free(seeds);
	free(buf);
	return 0;
}
