package jwg.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;

/** The AEAD vectors of RFC 8439, for the tests of every ChaCha20-Poly1305 implementation. */
final class Rfc8439 {
    private Rfc8439() {}

    /** Section 2.8.2: its nonce (07000000 4041...47) is not WireGuard's counter form. */
    static final class Section2_8_2 {
        static final byte[] PLAINTEXT = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip "
                + "for the future, sunscreen would be it.").getBytes(US_ASCII);
        static final byte[] KEY = Hex.bytes("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        static final byte[] NONCE = Hex.bytes("070000004041424344454647");
        static final byte[] AAD = Hex.bytes("50515253c0c1c2c3c4c5c6c7");
        static final byte[] SEALED = Hex.bytes("""
                d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b
                1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc
                3ff4def08e4b7a9de576d26586cec64b6116
                1ae10b594f09e26a7e902ecbd0600691""");
    }

    /**
     * Appendix A.5 (decryption). Its nonce 00000000 0102030405060708 is WireGuard's form: four zero
     * bytes, then the counter 0x0807060504030201 little-endian.
     */
    static final class AppendixA5 {
        static final byte[] KEY = Hex.bytes("1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0");
        static final long COUNTER = 0x0807060504030201L;
        static final byte[] NONCE = Hex.bytes("000000000102030405060708");
        static final byte[] AAD = Hex.bytes("f33388860000000000004e91");
        static final byte[] CIPHERTEXT = Hex.bytes("""
                64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb24c6cfc18755d43eea09ee94e382d26b0
                bdb7b73c321b0100d4f03b7f355894cf332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f982b1ff37c855
                9797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4b9166c767b804d46a59b5216cde7a4e9
                9040c5a40433225ee282a1b0a06c523eaf4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b422273f548271a
                0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a1049e617d91d361094fa68f0ff77987130
                305beaba2eda04df997b714d6c6f2c29a6ad5cb4022b02709b
                eead9d67890cbb22392336fea1851f38""");
        static final byte[] PLAINTEXT = Hex.bytes("""
                496e7465726e65742d4472616674732061726520647261667420646f63756d656e74732076616c696420666f722061
                206d6178696d756d206f6620736978206d6f6e74687320616e64206d617920626520757064617465642c207265706c
                616365642c206f72206f62736f6c65746564206279206f7468657220646f63756d656e747320617420616e79207469
                6d652e20497420697320696e617070726f70726961746520746f2075736520496e7465726e65742d44726166747320
                6173207265666572656e6365206d6174657269616c206f7220746f2063697465207468656d206f7468657220746861
                6e206173202fe2809c776f726b20696e2070726f67726573732e2fe2809d""");
    }
}
