def support = evaluate(new File(basedir, '../../../src/it/common/registry.groovy'))
def log = new File(basedir, 'build.log').text

// The plugin says which daemon it talks to, and how.
assert log =~ /Docker Engine \d+\.\d+\S* at tcp:/
assert log.contains('at tcp://127.0.0.1:2376 (DOCKER_HOST), TLS with the client certificate in /var/lib/frankenphp-it/docker-tls/client, API ')

// Built and pushed through that connection (both tags in the registry, on the recorded digest); the same engine,
// asked through its local socket, has the image.
support.builtAndPushed(basedir, 'it/tls-engine')

return true
