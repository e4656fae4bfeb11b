/* TEST-ONLY stand-in for Windows' bcryptprimitives.dll, for the wine smoke test in
 * .ci/release. Wine 8.0 (Debian 12) lacks this DLL, and Rust's std (1.78+) imports its
 * ProcessPrng as the random source, so every Rust exe exits at once with c0000135 under it.
 * Windows 10 and 11 have the real DLL: this file is never built into, or shipped with,
 * SmartDial. RtlGenRandom is advapi32's SystemFunction036. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
