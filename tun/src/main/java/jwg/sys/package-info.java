/**
 * The native boundary: C library calls through FFM ({@link jwg.sys.Libc}), their constants
 * ({@link jwg.sys.LibcConstants}), errno values ({@link jwg.sys.Errno}) and the exception for a
 * failed call ({@link jwg.sys.ErrnoException}).
 */
package jwg.sys;
