import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { join } from "node:path"

/**
 * A throwaway self-signed certificate for localhost and 127.0.0.1, made with the
 * machine's `openssl` in `dir` (node has no X.509 generator), for TLS tests.
 */
export function selfSignedCert(dir: string): { key: Buffer; cert: Buffer } {
  const keyFile = join(dir, "key.pem")
  const certFile = join(dir, "cert.pem")
  execFileSync(
    "openssl",
    [
      ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"],
      ...["-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
      ...["-keyout", keyFile, "-out", certFile],
    ],
    { stdio: "ignore" },
  )
  return { key: readFileSync(keyFile), cert: readFileSync(certFile) }
}
