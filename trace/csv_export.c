/* trace/csv_export.c: to be written (see export.h). */
#include "export.h"
