package dev.ringfence.embedded.kafka;

import java.nio.file.Path;

/**
 * A second broker listener that requires client certificates (mutual TLS), next to the plain loopback
 * one the broker itself and topic set-up use: the broker's private key and certificate in one PEM file,
 * and the CA certificate (PEM) that client certificates must chain to.
 */
public record TlsListener(Path keyAndCertificatePem, Path caCertificatePem) {}
