package be.idsvc.identify;

import java.util.Map;

/** A configured test person of the sandbox: fictional, and never mistaken for a card holder. */
public record SandboxPerson(String id, String label, String nationalNumber, Map<String, Object> claims) {}
