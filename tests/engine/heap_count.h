/* Counts heap calls made by this thread between start and stop, by
 * interposing malloc and friends in the test binary. */
#ifndef CWRNN_TEST_HEAP_COUNT_H
#define CWRNN_TEST_HEAP_COUNT_H

/* 0 in sanitizer builds, whose runtime owns malloc. */
int heap_count_available(void);
void heap_count_start(void);
long heap_count_stop(void);

#endif
