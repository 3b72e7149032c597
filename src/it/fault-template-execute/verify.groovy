def log = new File(basedir, 'build.log').text
def template = new File(basedir, 'src/main/frankenphp/Dockerfile.ftl')
assert log.contains("Template 'Dockerfile.ftl' (${template.path}) failed at line 2")
assert log.contains('freemarker.template.utility.Execute')
assert log.contains("Fix the template in ${template.parentFile.path} or remove it to use the built-in one.")
assert !new File(basedir, 'executed.marker').exists() : 'the template ran a command'
def output = new File(basedir, 'target/frankenphp')
assert !output.exists() || output.list().length == 0 : "files were written: ${output.list()}"
return true
