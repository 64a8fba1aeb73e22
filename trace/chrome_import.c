/* trace/chrome_import.c: to be written. */
#include "chrome.h"
