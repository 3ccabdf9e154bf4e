package jwg.crypto;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * OSSL_PARAM, struct ossl_param_st of OpenSSL 3's &lt;openssl/core.h&gt;: the name-value entries
 * through which {@link OpenSslAead} hands the nonce and tag to the cipher. OsslParamTest checks the
 * layout against the header with the C compiler. A class of its own, so that its constants are set
 * before OpenSslAead's class initialisation (which self-tests a context) uses them.
 */
final class OsslParam {
    private OsslParam() {}

    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ADDRESS.withName("key"),
            JAVA_INT.withName("data_type"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("data"),
            JAVA_LONG.withName("data_size"),
            JAVA_LONG.withName("return_size"));

    static final long SIZE = LAYOUT.byteSize();
    static final long KEY = offset("key"), DATA_TYPE = offset("data_type"), DATA = offset("data");
    static final long DATA_SIZE = offset("data_size"), RETURN_SIZE = offset("return_size");

    /** OSSL_PARAM_OCTET_STRING (&lt;openssl/core.h&gt;). */
    static final int OCTET_STRING = 5;
    /** OSSL_PARAM_UNMODIFIED (&lt;openssl/params.h&gt;): SIZE_MAX, a return_size the provider has not set. */
    static final long UNMODIFIED = -1;

    private static long offset(String field) {
        return LAYOUT.byteOffset(groupElement(field));
    }
}
