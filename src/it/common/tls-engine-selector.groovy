// Selector of the ITs that reach the engine over TCP with mutual TLS: the Docker ITs' own
// conditions, plus the TLS endpoint that src/test/infra/setup.sh starts on 127.0.0.1:2376.
if (!evaluate(new File(basedir, '../../../src/it/common/docker-selector.groovy'))) {
    return false
}
def certs = '/var/lib/frankenphp-it/docker-tls/client'
def problem = null
if (!['ca.pem', 'cert.pem', 'key.pem'].every { new File(certs, it).canRead() }) {
    problem = "no client certificate in ${certs}"
} else {
    def process = ['docker', '--tlsverify', '--tlscacert', "${certs}/ca.pem", '--tlscert', "${certs}/cert.pem",
                   '--tlskey', "${certs}/key.pem", '-H', 'tcp://127.0.0.1:2376', 'version'].collect { it.toString() }.execute()
    process.consumeProcessOutput(new StringBuilder(), new StringBuilder())
    if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS) || process.exitValue() != 0) {
        problem = 'the engine TLS endpoint tcp://127.0.0.1:2376 does not answer'
    }
}
if (problem == null) {
    return true
}
def reason = problem + ' (run: bash src/test/infra/setup.sh)'
if (requireDocker == 'true') {
    throw new IllegalStateException("Docker IT ${basedir.name} cannot run: ${reason}")
}
def banner = "[WARNING] *** SKIPPED Docker IT ${basedir.name}: ${reason}"
System.err.println(banner)
println banner
return false
