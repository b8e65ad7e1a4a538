/* How many elements an array (not a pointer) holds: the one way to count
 * a table's rows, for the loops over it and the lengths kept beside it. */
#ifndef TAS_LIB_COUNT_H
#define TAS_LIB_COUNT_H

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

#endif
