/*
 * file.c: see file.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "file.h"
#include "dd/util.h"

enum dd_file_status dd_file_read(const char *path, size_t max, char **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return DD_FILE_CANNOT_OPEN;
	struct stat st;
	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(fp);
		return DD_FILE_IS_DIR;
	}
	struct dd_strbuf b;
	dd_strbuf_init(&b);
	char buf[65536];
	size_t n;
	enum dd_file_status status = DD_FILE_OK;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		if (b.len + n > max) {
			status = DD_FILE_TOO_BIG;
			break;
		}
		dd_strbuf_add(&b, buf, n);
	}
	if (status == DD_FILE_OK && ferror(fp))
		status = DD_FILE_READ_ERROR;
	int saved = errno;
	fclose(fp);
	errno = saved;
	if (status != DD_FILE_OK) {
		dd_strbuf_finish(&b);
		return status;
	}
	*len = b.len;
	*data = dd_strbuf_own(&b);
	return DD_FILE_OK;
}

const char *dd_file_error(enum dd_file_status status)
{
	switch (status) {
	case DD_FILE_OK: return "no error";
	case DD_FILE_CANNOT_OPEN:
	case DD_FILE_READ_ERROR: return strerror(errno);
	case DD_FILE_IS_DIR: return "is a directory";
	case DD_FILE_TOO_BIG: return "too large";
	}
	return "unknown error";
}
