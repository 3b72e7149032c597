def log = new File(basedir, 'build.log').text
def deploy = new File(basedir, 'target/frankenphp/DEPLOY.md').text
assert deploy.readLines().findAll { it ==~ /(absolute|relative): refused/ }.size() == 2 : deploy
assert !deploy.contains('OUTSIDE-TEMPLATE-CANARY')

def template = new File(basedir, 'src/main/frankenphp-link/DEPLOY.md.ftl')
assert log.contains("Template 'DEPLOY.md.ftl' (${template.path}) includes a link to a file outside the template directory")
def linkOutput = new File(basedir, 'target/frankenphp-link')
assert !linkOutput.exists() || linkOutput.list().length == 0 : "files were written: ${linkOutput.list()}"
assert !log.contains('OUTSIDE-TEMPLATE-CANARY')
return true
