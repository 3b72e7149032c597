// Shared selector of the ITs that need a Docker engine and the test registry.
// Without them the IT is skipped, loudly; with -Dfrankenphp.it.requireDocker=true (CI) it fails.
def problems = []
def run = { List<String> command ->
    try {
        def process = command.execute()
        process.waitForOrKill(15000)
        return process.exitValue()
    } catch (Exception e) {
        return -1
    }
}
if (run(['docker', 'info']) != 0) {
    problems << 'no Docker engine answers `docker info`'
}
def registry = itRegistry
if (run(['curl', '-s', '-o', '/dev/null', '--max-time', '5', "https://${registry}/v2/".toString()]) != 0) {
    problems << "the test registry https://${registry}/v2/ does not answer"
}
if (!new File('/var/lib/frankenphp-it/registry-password').canRead()) {
    problems << 'no /var/lib/frankenphp-it/registry-password'
}
// ITs that reach the engine over TCP with mutual TLS set needsEngineTls in the shared binding.
if (binding.hasVariable('needsEngineTls') && needsEngineTls) {
    def certs = '/var/lib/frankenphp-it/docker-tls/client'
    if (!['ca.pem', 'cert.pem', 'key.pem'].every { new File(certs, it).canRead() }) {
        problems << "no client certificate in ${certs}".toString()
    } else if (run(['docker', '--tlsverify', '--tlscacert', "${certs}/ca.pem", '--tlscert', "${certs}/cert.pem",
                    '--tlskey', "${certs}/key.pem", '-H', 'tcp://127.0.0.1:2376', 'version'].collect { it.toString() }) != 0) {
        problems << 'the engine TLS endpoint tcp://127.0.0.1:2376 does not answer'
    }
}
// ITs that reach the engine as DOCKER_HOST=ssh://frankenphp-server set needsSsh in the shared binding.
if (binding.hasVariable('needsSsh') && needsSsh) {
    if (run(['ssh', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', 'frankenphp-server', 'docker', 'version']) != 0) {
        problems << 'ssh frankenphp-server (the test sshd on 127.0.0.1:2201) does not reach the engine'
    }
}
if (problems.isEmpty()) {
    return true
}
def reason = problems.join('; ') + ' (run: bash src/test/infra/setup.sh)'
if (requireDocker == 'true') {
    throw new IllegalStateException("Docker IT ${basedir.name} cannot run: ${reason}")
}
// stderr reaches the Maven console; println would only go to the IT's build.log.
def banner = "[WARNING] *** SKIPPED Docker IT ${basedir.name}: ${reason}"
System.err.println(banner)
println banner
return false
