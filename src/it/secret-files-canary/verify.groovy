def scan = evaluate(new File(basedir, '../../../src/it/fault-common/scan.groovy'))
def support = new File(basedir, '../secret-files-canary-support').canonicalFile
def canaries = new Properties()
new File(support, 'canaries.properties').withInputStream { canaries.load(it) }
def dotenv = ['.ENV', '.env-production', 'production.env', 'config/.env/production']
def others = ['auth.json', '.npmrc', '.envrc', 'storage/oauth-private.key', 'certs/server.pem', 'Homestead.yaml']
assert canaries.keySet() == (dotenv + others) as Set

// Both invocations write to this build.log; each ends with its "Built ..." line.
def log = new File(basedir, 'build.log').text
def built = (log =~ /Built (sha256:[0-9a-f]{64}) as /).collect { it[1] }
assert built.size() == 2 : 'both invocations must build'
def firstRun = log.substring(0, log.indexOf('Built sha256:'))
def secondRun = log.substring(log.indexOf('Built sha256:') + 1)
def warning = { String text, String prefix -> text.readLines().find { it.contains(prefix) } }
def guardPrefix = 'Kept out of the image although no ignore rule excludes them (dotenv files never enter the context): '
def sentPrefix = 'Sent in the build context although such files usually hold secrets: '

// 1. Default .dockerignore: .ENV escapes its (case-sensitive) rules and is kept out by the guard, by name;
//    the rest is excluded by the rules, so nothing secret-looking is sent.
assert warning(firstRun, guardPrefix)?.endsWith(guardPrefix + '.ENV') : warning(firstRun, guardPrefix)
assert warning(firstRun, sentPrefix) == null
// 2. The permissive .dockerignore: every dotenv variant kept out by name, every other secret file named as sent.
assert warning(secondRun, guardPrefix)?.endsWith(guardPrefix + '.ENV, .env-production, config/.env/production, production.env')
def sent = warning(secondRun, sentPrefix)
assert sent != null
['auth.json (Composer credentials)', '.npmrc (npm credentials)', '.envrc (direnv environment)',
 'storage/oauth-private.key (private key)', 'certs/server.pem (key or certificate)',
 'Homestead.yaml (Homestead configuration)'].each { assert sent.contains(it) : "${it} not named in: ${sent}" }
assert sent.contains('src/main/frankenphp/.dockerignore.ftl') || sent.contains('frankenphp-permissive/.dockerignore.ftl')

// No canary in any log line (the warnings name files, never their content).
canaries.each { path, canary -> assert !log.contains(canary) : "the content of ${path} is in the log" }

def work = new File(basedir, 'target-scan')
work.mkdirs()
try {
    // The default .dockerignore: no canary in any layer, the config, the history or the file system.
    def findings = scan.inImage(built[0], canaries.collectEntries { k, v -> [(k): v] }, work)
    assert findings.isEmpty() : "secrets in the image built with the default .dockerignore: ${findings}"
    // The permissive one: still no dotenv canary; the others are in (the user's rules are obeyed, with a warning).
    findings = scan.inImage(built[1], dotenv.collectEntries { [(it): canaries.getProperty(it)] }, work)
    assert findings.isEmpty() : "dotenv files in the image built with a permissive .dockerignore: ${findings}"
    def sentFindings = scan.inImage(built[1], [auth: canaries.getProperty('auth.json')], work)
    assert sentFindings.contains('auth in the file system (docker export)') : sentFindings
} finally {
    work.deleteDir()
    // The second image holds the canaries on purpose: do not leave it around.
    built.each { scan.sh(['docker', 'image', 'rm', '-f', it]) }
}
return true
