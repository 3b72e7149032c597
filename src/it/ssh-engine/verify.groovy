import groovy.json.JsonSlurper

def support = evaluate(new File(basedir, '../../../src/it/common/registry.groovy'))
def repository = 'it/ssh-engine'
def log = new File(basedir, 'build.log').text

// The plugin says which daemon it talks to, and how it found it.
assert log =~ /Docker Engine \d+\.\d+\S* at ssh:\/\/frankenphp-server \(DOCKER_HOST\), API /

// Built and pushed through that connection: both tags in the registry, on the recorded digest.
def record = new JsonSlurper().parse(new File(basedir, 'target/frankenphp/image.json'))
def tags = support.tags(repository)
assert tags.contains(record.version) && tags.contains('latest') : "registry tags: ${tags}"
assert support.manifestDigest(repository, 'latest') == record.pushed[record.version]

// The engine behind the ssh server (the local one here), asked through its local socket, has the image.
def inspect = support.sh(['docker', 'image', 'inspect', '--format', '{{.Id}}', "${support.registry}/${repository}:${record.version}".toString()])
assert inspect.exit == 0 && inspect.out.trim() == record.imageId

return true
