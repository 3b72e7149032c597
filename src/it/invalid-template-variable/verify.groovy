def log = new File(basedir, 'build.log').text
assert log.contains("Template 'DEPLOY.md.ftl' (") && log.contains('src/main/frankenphp/DEPLOY.md.ftl) failed at line 3')
assert log.contains('cluster')
assert log.contains('Fix the template in')
assert !new File(basedir, 'target/frankenphp').exists() : 'nothing may be written when a template fails'
return true
