// LAPACKE's complex types default to C99 `double _Complex`, which Swift does not import: the complex routines would be
// invisible (their pointers come through as OpaquePointer). Defining the types as plain {real, imag} structs before
// lapacke.h is read gives Swift named types with the same memory layout as `Complex<Double>` from swift-numerics (two
// adjacent Doubles), so buffers pass without copying.
#ifndef PHASOR_CLAPACK_SHIM_H
#define PHASOR_CLAPACK_SHIM_H

typedef struct { float real, imag; } phasor_complex_float;
typedef struct { double real, imag; } phasor_complex_double;

#define LAPACK_COMPLEX_CUSTOM 1
#define lapack_complex_float phasor_complex_float
#define lapack_complex_double phasor_complex_double
#define lapack_complex_float_real(z) ((z).real)
#define lapack_complex_float_imag(z) ((z).imag)
#define lapack_complex_double_real(z) ((z).real)
#define lapack_complex_double_imag(z) ((z).imag)

#include <lapacke.h>
#include <cblas.h>

#endif
