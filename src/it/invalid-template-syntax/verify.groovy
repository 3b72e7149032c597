def log = new File(basedir, 'build.log').text
assert log.contains("Template 'Dockerfile.ftl' (") && log.contains('has a syntax error at line')
assert !new File(basedir, 'target/frankenphp').exists() : 'nothing may be written when a template fails'
return true
