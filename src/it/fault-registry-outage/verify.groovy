import groovy.json.JsonSlurper

def proxy = context.faultProxy
try {
    def support = evaluate(new File(basedir, '../../../src/it/common/registry.groovy'))
    def log = new File(basedir, 'build.log').text
    def name = 'it/fault-registry-outage'
    def repository = "registry.frankenphp.test:5444/${name}"
    def record = new JsonSlurper().parse(new File(basedir, 'target/frankenphp/image.json'))
    def version = record.version
    def events = proxy.events()
    assert events.count { it.contains('/manifests/latest -> connection closed after 100 body bytes (injected)') } == 2 : events.join('\n')

    // 1. The version tag was pushed; latest failed after the plugin's 2 attempts, and the message says
    //    what reached the registry and how to finish.
    assert log.contains("retrying Push of ${repository}:latest in 1s (attempt 2/2): ")
    assert log.contains("Push of ${repository}:latest failed after 2 attempts: ")
    def pushedLine = log.readLines().find { it.startsWith("[ERROR] Pushed: ${repository}:${version} (sha256:") }
    assert pushedLine : 'the failure must list what was pushed'
    assert pushedLine.contains("; not pushed: ${repository}:latest (latest in the registry was not moved)")
    assert pushedLine.contains('Run mvn frankenphp:push again to complete the release; it pushes the same image ('
            + record.imageId + ') without rebuilding.')

    // 2. The second invocation pushed without building: one build in the whole log, same image id.
    assert log.count("Building ${repository}:") == 1 : 'the release must be completed without rebuilding'
    assert log.contains("Pushed ${repository}:latest (${record.pushed[version]})")
    assert record.pushed[version] ==~ /sha256:[0-9a-f]{64}/
    assert record.pushed['latest'] == record.pushed[version]
    def inspect = support.sh(['docker', 'image', 'inspect', '--format', '{{.Id}}', "${repository}:${version}".toString()])
    assert inspect.out.trim() == record.imageId

    // The registry (read directly on :5443) now has both tags on the recorded manifest.
    assert support.manifestDigest(name, version) == record.pushed[version]
    assert support.manifestDigest(name, 'latest') == record.pushed[version]
    assert support.manifestDigest(name, 'latest') != new File(basedir, 'previous-latest.txt').text
    return true
} finally {
    proxy?.close()
}
