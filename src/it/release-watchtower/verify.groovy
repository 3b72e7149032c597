def standIn = System.properties.remove('frankenphp.it.watchtower.' + basedir.name)
assert standIn : 'the stand-in was not started'
try {
    def log = new File(basedir, 'build.log').text
    assert log.contains('[DEBUG]') : 'the builds ran without -X'

    // 1. The wrong token: refused, named by its source, a failure the user fixes; nothing updated.
    def refusal = log.readLines().find { it.contains('refused the API token from settings.xml <server> \'watchtower-it-wrong\' (HTTP 401)') }
    assert refusal : 'step 1 must be refused'
    assert refusal.startsWith('[ERROR] Failed to execute goal')
    assert refusal.contains('Nothing was updated')
    assert standIn.refused() == 1

    // 2. The right token: one update of this image only, then 1.1.0 served.
    assert log.contains("Watchtower API token from settings.xml <server> 'watchtower-it'")
    assert log.contains("Triggering Watchtower: POST ${standIn.watchtowerUrl()}/v1/update?image=docker-registry.miweb.fr%2Fit%2Frelease-watchtower")
    assert log.contains("Serving now at ${standIn.appUrl()}: HTTP 200, version 1.0.0 in the body")
    assert log.contains('Watchtower answered: scanned 3, updated 3, failed 0, restarted 0')
    def released = log.readLines().find { it.startsWith('[INFO] Released 1.1.0 (sha256:') }
    assert released : 'step 2 must release'
    assert released.contains("through Watchtower in ")
    assert released.contains("roll back with mvn frankenphp:rollback -Dfrankenphp.rollback.version=1.0.0")
    assert standIn.updates() == 1
    assert standIn.updateRequests() == ['POST /v1/update?image=docker-registry.miweb.fr%2Fit%2Frelease-watchtower']
    assert standIn.version() == '1.1.0'

    // Neither token, nor any part of them, anywhere in the log, even at debug level.
    assert !log.contains('Canary7') : 'a Watchtower token is in build.log'
} finally {
    standIn.close()
}
return true
