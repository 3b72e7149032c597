evaluate(new File(basedir, '../../../src/it/common/copy-sample.groovy'))
// The registry outlives the IT: a name of its own per run, so that 1.0.0 is new to the registry in step 1.
def pom = new File(basedir, 'pom.xml')
def run = java.time.format.DateTimeFormatter.ofPattern('yyyyMMddHHmmss').withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now()) + '-' + ProcessHandle.current().pid()
pom.text = pom.text.replace('RUN_ID', run)
new File(basedir, 'image-name.txt').text = "it/push-release-tags-${run}"
return true
