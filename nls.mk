# Translation of segmentation's messages, in the form of PostgreSQL's own
# nls.mk files (src/backend/nls.mk, src/pl/plpgsql/src/nls.mk): the sources
# and the functions whose arguments are message formats.  errmsg and its
# kin translate every format, the cores' included, at the time of the error;
# the extension ships no catalogue of its own yet, so its messages are looked
# up in ereport's default domain and appear in English.
#
# Besides ereport's own functions, the pure cores' error functions are
# triggers: core_fail, core_detail and core_hint take a format that the glue
# later hands to errmsg, errdetail and errhint (src/core/core.h), the rule
# parser's syntax_error and the binary decoder's decode_error take the format
# of a detail, and core_N_ marks a format chosen at run time, as gettext_noop
# does.  test/ops/messages.sh extracts the catalogue with these triggers.
CATALOG_NAME     = segmentation
GETTEXT_FILES    = $(wildcard src/*.c src/*/*.c src/*/*.h)
GETTEXT_TRIGGERS = errmsg errmsg_plural:1,2 errdetail errdetail_log errdetail_plural:1,2 \
    errhint errcontext \
    core_fail:4 core_detail:2 core_hint:2 syntax_error:2 decode_error:3 core_N_
GETTEXT_FLAGS    = errmsg:1:c-format errmsg_plural:1:c-format errmsg_plural:2:c-format \
    errdetail:1:c-format errdetail_log:1:c-format errdetail_plural:1:c-format \
    errdetail_plural:2:c-format errhint:1:c-format errcontext:1:c-format \
    core_fail:4:c-format core_detail:2:c-format core_hint:2:c-format \
    syntax_error:2:c-format decode_error:3:c-format core_N_:1:c-format
