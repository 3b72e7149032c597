def support = evaluate(new File(basedir, '../../../src/it/common/registry.groovy'))
def log = new File(basedir, 'build.log').text

// The plugin says which daemon it talks to, and how it found it.
assert log =~ /Docker Engine \d+\.\d+\S* at ssh:\/\/frankenphp-server \(DOCKER_HOST\), API /

// Built and pushed through that connection (both tags in the registry, on the recorded digest); the same engine,
// asked through its local socket, has the image.
support.builtAndPushed(basedir, 'it/ssh-engine')

return true
