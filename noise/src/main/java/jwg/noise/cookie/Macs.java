package jwg.noise.cookie;

import jwg.noise.Protocol;

/**
 * Where mac1 and mac2 sit in the two messages that carry them (whitepaper 5.4.4): the last 32
 * bytes of an initiation (148) or response (92). mac1 covers everything before it, mac2
 * everything before it, mac1 included.
 */
final class Macs {
    private Macs() {}

    /** True if msg has the length of an initiation or a response. */
    static boolean hasMacs(byte[] msg) {
        return msg.length == Protocol.INITIATION_LEN || msg.length == Protocol.RESPONSE_LEN;
    }

    static int mac1Offset(byte[] msg) {
        return msg.length - 2 * Protocol.MAC_LEN;
    }

    static int mac2Offset(byte[] msg) {
        return msg.length - Protocol.MAC_LEN;
    }

    static void requireMacs(byte[] msg) {
        if (!hasMacs(msg)) throw new IllegalArgumentException("not an initiation or response: " + msg.length + " bytes");
    }
}
