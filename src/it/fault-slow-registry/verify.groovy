import groovy.json.JsonSlurper

def proxy = context.faultProxy
try {
    def support = evaluate(new File(basedir, '../../../src/it/common/registry.groovy'))
    def log = new File(basedir, 'build.log').text
    def repository = 'registry.frankenphp.test:5444/it/fault-slow-registry'
    def record = new JsonSlurper().parse(new File(basedir, 'target/frankenphp/image.json'))
    assert proxy.events().any { it.contains('delayed 300000 ms (injected)') } : proxy.events().join('\n')

    assert log.contains("Registry login to registry.frankenphp.test:5444 succeeded")
    // The first request held is push's read of what the registry has under the version tag.
    assert log.contains("Manifest download of ${repository}:${record.version} failed after 1 attempt (error is not retryable): Manifest download of ${repository}:${record.version} took longer than 5 s. Raise <pushTimeout> (frankenphp.push.timeout, now 5s) if the registry is legitimately slow.")
    assert !log.contains('retrying ') : 'a timeout is never retried'

    // Bounded: the push invocation (the second "Total time") ends soon after the 5 s deadline.
    def times = (log =~ /Total time:\s+([0-9.]+) s/).collect { it[1] as double }
    assert times.size() == 2 : "expected two invocations: ${times}"
    assert times[1] < 30 : "the push took ${times[1]} s with a 5 s push timeout"

    // Nothing reached the registry, and image.json says so.
    assert record.pushed == [:] || record.pushed == null
    assert !support.tags('it/fault-slow-registry').contains(record.version)
    assert !log.contains("\nPushed ${repository}")
    assert log.contains("Nothing was pushed; not pushed: ${repository}:${record.version}, ${repository}:latest (latest in the registry was not moved)")
    return true
} finally {
    proxy?.close()
}
