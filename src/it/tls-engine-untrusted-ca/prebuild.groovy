// untrusted-certs/: the real client certificate and key, but a ca.pem from a CA of its own, so the
// daemon's certificate (issued by the IT CA) does not verify.
def certs = new File(basedir, 'untrusted-certs')
certs.mkdirs()
['cert.pem', 'key.pem'].each { name ->
    new File(certs, name).bytes = new File('/var/lib/frankenphp-it/docker-tls/client', name).bytes
}
def process = ['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=a CA the daemon never used',
               '-keyout', new File(certs, 'other-ca.key').path, '-out', new File(certs, 'ca.pem').path].execute()
def out = new StringBuilder(), err = new StringBuilder()
process.waitForProcessOutput(out, err)
assert process.exitValue() == 0 : "openssl failed: ${err}"
return true
