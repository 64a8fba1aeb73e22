/*
 * tests/support/splitmix.h: splitmix64's finaliser, unseeded, and its
 * inverse, for tests that build keys a fixed hash would pile into one slot
 * (the importer's thread table, gt_idmap).  Written from the definition,
 * not from gantty's code.
 */
#ifndef GT_TEST_SPLITMIX_H
#define GT_TEST_SPLITMIX_H

#include <stdint.h>

/* splitmix64's finaliser, unseeded, and its inverse, from the definition
 * (each xorshift undone by repeating it, each odd multiplier by its
 * inverse mod 2^64). */
static inline uint64_t
fin(uint64_t z)
{
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static inline uint64_t
inv_mul(uint64_t a)
{
  uint64_t x = a;  /* Newton: each step doubles the good low bits */
  int i;

  for (i = 0; i < 6; i++)
    x *= 2 - a * x;
  return x;
}

static inline uint64_t
unxorshift(uint64_t y, int k)
{
  uint64_t x = y;
  int i;

  for (i = 0; i < 64 / k + 1; i++)
    x = y ^ (x >> k);
  return x;
}

static inline uint64_t
fin_inv(uint64_t h)
{
  uint64_t z = unxorshift(h, 31);

  z = unxorshift(z * inv_mul(0x94d049bb133111ebull), 27);
  return unxorshift(z * inv_mul(0xbf58476d1ce4e5b9ull), 30);
}

#endif
