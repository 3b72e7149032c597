import groovy.json.JsonSlurper

def support = evaluate(new File(basedir, '../../../src/it/common/registry.groovy'))
def log = new File(basedir, 'build.log').text
assert log.contains('Using the MultiThreadedBuilder implementation with a thread count of 2')
assert !log.contains('BUILD FAILURE')

def expected = [
        'app-a': [port: '8081', url: 'https://a.example.test', memory: '256M'],
        'app-b': [port: '8082', url: 'https://b.example.test', memory: '1G'],
]
def records = [:]
expected.each { module, values ->
    def name = "it/fault-reactor-${module - 'app-'}".toString()
    def repository = "${support.registry}/${name}".toString()
    def output = new File(basedir, "${module}/target/frankenphp")

    // Rendered files: this module's configuration, none of the other's.
    def dockerfile = new File(output, 'Dockerfile').text
    assert dockerfile.contains("EXPOSE ${values.port}")
    def other = expected.find { it.key != module }.value
    assert !dockerfile.contains("EXPOSE ${other.port}")
    assert new File(output, '.env.production.example').text.contains("APP_URL=${values.url}\n")
    assert new File(output, 'docker/php/php.ini').text.contains("memory_limit = ${values.memory}\n")
    assert new File(output, 'docker-compose.prod.yml').text.contains("${repository}:\${APP_IMAGE_TAG:-latest}")

    // image.json: this module's image, both tags pushed.
    def record = new JsonSlurper().parse(new File(output, 'image.json'))
    records[module] = record
    assert record.repository == repository
    assert record.tags == ["${repository}:${record.version}".toString(), "${repository}:latest".toString()]
    assert record.pushed[record.version] ==~ /sha256:[0-9a-f]{64}/
    assert record.pushed['latest'] == record.pushed[record.version]

    // The registry's tags name this module's manifest, and the image is this module's.
    assert support.manifestDigest(name, record.version) == record.pushed[record.version]
    assert support.manifestDigest(name, 'latest') == record.pushed[record.version]
    def inspect = new JsonSlurper().parseText(support.sh(['docker', 'image', 'inspect', record.imageId]).out)[0]
    assert inspect.Config.Labels['fr.miweb.it.module'] == module
    assert inspect.Config.ExposedPorts.containsKey("${values.port}/tcp".toString())
    assert !inspect.Config.ExposedPorts.containsKey("${other.port}/tcp".toString())
    assert inspect.Config.Cmd.contains("--port=${values.port}".toString())
    def cat = support.sh(['docker', 'run', '--rm', record.imageId, 'cat', '/app/public/module.txt'])
    assert cat.out.trim() == module
    assert log.contains("Pushed ${repository}:${record.version} (${record.pushed[record.version]})")
}
// One timestamp for the whole reactor, two different images.
assert records['app-a'].version == records['app-b'].version
assert records['app-a'].imageId != records['app-b'].imageId
assert records['app-a'].pushed['latest'] != records['app-b'].pushed['latest']
return true
