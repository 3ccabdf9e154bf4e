package jwg.config;

/** The number and boolean grammars of single values; each throws IllegalArgumentException. */
final class Values {
    private Values() {}

    /**
     * ListenPort: a decimal port, 0 (random) to 65535. wg hands the text to getaddrinfo, which also
     * takes /etc/services names, a leading '+' and (glibc) numbers above 65535 truncated to 16 bits;
     * those are rejected here.
     */
    static int listenPort(String value) {
        long port = CNumbers.decimal(value, 65535);
        if (port < 0) throw new IllegalArgumentException("\"" + value + "\" is not a port number (0-65535)");
        return (int) port;
    }

    /** FwMark: "off" (any case) or 0-0xffffffff, decimal or with a lowercase "0x" (wg's parse_fwmark). */
    static long fwMark(String value) {
        if (value.equalsIgnoreCase("off")) return 0;
        long mark = CNumbers.decimalOrHex(value, 0xffff_ffffL);
        if (mark < 0) throw new IllegalArgumentException("\"" + value + "\" is neither off nor a number 0-0xffffffff");
        return mark;
    }

    /** PersistentKeepalive: "off" (any case) or decimal seconds 0-65535 (wg's parse_persistent_keepalive). */
    static int persistentKeepalive(String value) {
        if (value.equalsIgnoreCase("off")) return 0;
        long seconds = CNumbers.decimal(value, 65535);
        if (seconds < 0) throw new IllegalArgumentException("\"" + value + "\" is neither off nor a number of seconds 0-65535");
        return (int) seconds;
    }

    /**
     * MTU: read by iproute2 (strtol base 0) and limited by the TUN device jwg uses, 68-65535 (the
     * same limits wg-quick meets with wireguard-go; the kernel module would allow more).
     */
    static int mtu(String value) {
        long mtu = CNumbers.base0(value, Long.MAX_VALUE / 16);
        if (mtu < 0) throw new IllegalArgumentException("\"" + value + "\" is not a number");
        if (mtu < InterfaceConfig.MIN_MTU || mtu > InterfaceConfig.MAX_MTU) {
            throw new IllegalArgumentException(mtu + " is out of range (" + InterfaceConfig.MIN_MTU + "-" + InterfaceConfig.MAX_MTU + ")");
        }
        return (int) mtu;
    }

    /** SaveConfig: "true" or "false", any case (wg-quick's read_bool runs under nocasematch). */
    static boolean saveConfig(String value) {
        if (value.equalsIgnoreCase("true")) return true;
        if (value.equalsIgnoreCase("false")) return false;
        throw new IllegalArgumentException("\"" + value + "\" is neither true nor false");
    }
}
