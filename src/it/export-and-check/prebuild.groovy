evaluate(new File(basedir, '../../../src/it/common/copy-sample.groovy'))
// The team's hand-written Dockerfile from before the plugin.
new File(basedir, 'Dockerfile').text = 'FROM dunglas/frankenphp:latest-php8.2-alpine\n# hand-written\n'
return true
