/*
 * json_arena.h: cJSON's nodes for one result from one block of memory.
 *
 * A JSON line is a tree of a few hundred nodes built, printed and dropped
 * at once; through malloc that was a tenth of a batch run's CPU. Between
 * begin and end every cJSON allocation comes from a bump arena and freeing
 * is a no-op; end drops them all. Outside, cJSON uses malloc as usual (the
 * baseline, --summary-from). Single-threaded, like the rest of the program.
 */
#ifndef DD_JSON_ARENA_H
#define DD_JSON_ARENA_H

void dd_json_arena_begin(void);
/* Drops every node and string made since begin: print and write before. */
void dd_json_arena_end(void);

#endif
