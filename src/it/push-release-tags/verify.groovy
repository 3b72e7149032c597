import groovy.json.JsonSlurper

def support = evaluate(new File(basedir, '../../../src/it/common/registry.groovy'))
def log = new File(basedir, 'build.log').text
def name = new File(basedir, 'image-name.txt').text.trim()
def repository = "${support.registry}/${name}"
def record = new JsonSlurper().parse(new File(basedir, 'target/frankenphp/image.json'))
assert record.version == '1.0.0'

// Two builds (steps 1 and 2), two pushes of 1.0.0 (steps 1 and 3): step 2 pushed nothing.
assert log.count("Building ${repository}:1.0.0") == 2
def pushed = log.readLines().findAll { it.startsWith("[INFO] Pushed ${repository}:1.0.0 (sha256:") }
assert pushed.size() == 2 : pushed
def first = (pushed[0] =~ /\((sha256:[0-9a-f]{64})\)/)[0][1]
def replaced = (pushed[1] =~ /\((sha256:[0-9a-f]{64})\)/)[0][1]
assert first != replaced

// Step 2: refused, naming the released image, this build and the override; a failure the user fixes.
def refusal = log.readLines().find { it.contains("The registry already has ${repository}:1.0.0 (image ") }
assert refusal : 'step 2 must be refused'
assert refusal.startsWith('[ERROR] Failed to execute goal')
assert refusal.contains("manifest ${first}), and it is not this build (${record.imageId}).")
assert refusal.contains('nothing was pushed and latest was not moved')
assert refusal.contains('-Dfrankenphp.push.overwrite=true')
assert log.indexOf(refusal) < log.indexOf(pushed[1])

// Step 3: replaced on request, and latest moved to it.
assert log.contains("Replacing ${repository}:1.0.0 (image ")
assert log.contains("Pushed ${repository}:latest (${replaced})")
assert record.pushed['1.0.0'] == replaced
assert record.pushed['latest'] == replaced
assert support.manifestDigest(name, '1.0.0') == replaced
assert support.manifestDigest(name, 'latest') == replaced
return true
