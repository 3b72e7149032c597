return evaluate(new File(basedir, '../../../src/it/common/copy-sample.groovy'))
