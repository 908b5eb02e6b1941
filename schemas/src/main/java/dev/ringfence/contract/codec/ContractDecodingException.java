package dev.ringfence.contract.codec;

/** Bytes that are not a record of the contract; the message says why, for the dead-letter reason. */
public final class ContractDecodingException extends RuntimeException {
    public ContractDecodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
