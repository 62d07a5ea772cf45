/*
 * Preloaded with libasan into the server by make sanitize
 * (test/sanitize/run.sh): two definitions that the sanitizer runtimes look up
 * and that make them work in Debian's postgres binary.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/*
 * Without it, postgres hangs at startup.  It links libgpg-error (through
 * libldap and gnutls), whose constructor runs before libasan's and calls
 * bindtextdomain(), which calls malloc() while it holds glibc's _nl_state_lock
 * for writing.  That first malloc() initializes ASan, and the initialization
 * ends with dlsym(RTLD_DEFAULT, "swift_demangle") and, the symbol missing,
 * dlerror(), which translates its message: dcgettext() takes _nl_state_lock
 * for reading, gets EDEADLK (the thread is the writer), ignores it, and its
 * unlock releases the writer's lock; bindtextdomain()'s own unlock then takes
 * the reader count below zero, and the next bindtextdomain(), in postgres's
 * main(), waits forever for those readers.
 *
 * With swift_demangle defined, that dlsym() succeeds and dlerror() has nothing
 * to translate.  ASan calls it only to demangle names in a report: NULL means
 * "not a Swift name", and C and C++ names are demangled as before.
 */
char	   *swift_demangle(const char *mangled, size_t length, char *output,
						   size_t *output_size, uint32_t flags);

char *
swift_demangle(const char *mangled, size_t length, char *output,
			   size_t *output_size, uint32_t flags)
{
	(void) mangled;
	(void) length;
	(void) output;
	(void) output_size;
	(void) flags;
	return NULL;
}

/*
 * Without it, UBSan ignores UBSAN_OPTIONS (log_path, print_stacktrace, ...).
 * The UBSan runtime starts in a backend, at its first report, and reads its
 * options from /proc/self/environ, which postgres has overwritten by then with
 * the process title ("postgres: user db ..."); getenv() still sees the
 * environment, which postgres moved elsewhere first.  The runtime parses these
 * defaults, then the (lost) variable.
 */
const char *__ubsan_default_options(void);

const char *
__ubsan_default_options(void)
{
	const char *options = getenv("UBSAN_OPTIONS");

	return options ? options : "";
}
